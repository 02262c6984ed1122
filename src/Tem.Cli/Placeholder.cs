namespace Tem.Cli;
