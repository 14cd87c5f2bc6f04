namespace ForgeOne.Core.Store;

/// <summary>
/// One page of a query's results, in timestamp order, and the token that continues after it. Paging is by
/// position (timestamp, id), not by count, so entries written between pages never shift or repeat a page.
/// </summary>
/// <typeparam name="T">The record type.</typeparam>
/// <param name="Items">The records on this page.</param>
/// <param name="ContinuationToken">Pass as the next query's <c>After</c>; null when there is nothing more.</param>
public sealed record StorePage<T>(IReadOnlyList<T> Items, string? ContinuationToken);
