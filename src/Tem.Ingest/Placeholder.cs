namespace Tem.Ingest;
