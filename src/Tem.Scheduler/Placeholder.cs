namespace Tem.Scheduler;
