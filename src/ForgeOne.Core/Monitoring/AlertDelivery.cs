namespace ForgeOne.Core.Monitoring;

/// <summary>How sending an alert went.</summary>
/// <param name="Delivered">True when the webhook answered with a 2xx status.</param>
/// <param name="Attempts">How many requests were made.</param>
/// <param name="StatusCode">The last HTTP status, or null when no answer came.</param>
/// <param name="Error">Why the last attempt failed; null when delivered.</param>
public sealed record AlertDelivery(bool Delivered, int Attempts, int? StatusCode, string? Error);
