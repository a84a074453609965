namespace Push.EndpointFrontend.Vapid;

/// <summary>A parsed <c>Authorization</c> header: the JWT and the public key that should have signed it.</summary>
internal sealed record VapidCredentials(string Token, string PublicKey, string Scheme);
