namespace Suppression.Gateway.Tests.Infrastructure;

public static class Eventually
{
    /// <summary>Polls until the condition holds or the time is up; returns whether it held.</summary>
    public static async Task<bool> TrueAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return await condition();
    }
}
