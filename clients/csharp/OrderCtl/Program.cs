using System.CommandLine;
using OrderService.OrderCtl;

// orderctl: the command line of OrderService. `orderctl --help`, and the README of
// clients/csharp, show every command.
var commands = new Commands();
return await commands.Root.Parse(args).InvokeAsync();
