namespace Suppression.Checks;

/// <summary>One address as a batch check's body gave it, or why its line gave none.</summary>
/// <param name="Address">The text as given; null when the line held no readable address.</param>
/// <param name="Problem">Why the line cannot be checked; null when it can be (the address may still not normalise).</param>
public readonly record struct AddressInput(string? Address, string? Problem = null);
