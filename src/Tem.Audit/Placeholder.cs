namespace Tem.Audit;
