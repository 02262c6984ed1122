namespace Tem.Reports;
