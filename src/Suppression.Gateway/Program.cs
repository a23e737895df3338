using Suppression.Gateway.Hosting;

return await GatewayProgram.RunAsync(args);
