namespace P2P.Testing;

/// <summary>Waiting on a condition with a bound, for tests on real sockets and processes (never a fixed sleep).</summary>
public static class Wait
{
    /// <summary>Polls until the condition holds; false when <paramref name="limit"/> of wall-clock time runs out first.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan limit, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    /// <summary>
    /// Polls an asynchronous condition (an HTTP query, a process's state) every <paramref name="interval"/> (100 ms
    /// unless given); false when <paramref name="limit"/> of wall-clock time runs out first.
    /// </summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, TimeSpan limit, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
        return true;
    }
}
