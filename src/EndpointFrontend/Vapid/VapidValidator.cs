using System.Security.Cryptography;
using System.Text.Json;
using Push.EndpointFrontend.Errors;
using Push.Shared.Crypto;

namespace Push.EndpointFrontend.Vapid;

/// <summary>
/// Verifies a VAPID JWT: ES256 only, signed by the given P-256 key, <c>aud</c> equal to this
/// service's origin, <c>exp</c> present, not past (60 s leeway) and at most 24 hours ahead.
/// </summary>
internal sealed class VapidValidator(IReadOnlyCollection<string> audiences, TimeProvider time)
{
    private const int LeewaySeconds = 60;
    private const int MaxLifetimeSeconds = 86_400;
    private const string ClaimsDataError =
        "A value in the vapid claims is either missing or incorrectly specified (e.g. \"exp\":\"12345\" or \"sub\":null). Please correct and retry.";

    /// <summary>Decodes a public key: standard base64 if it has '+' or '/', else URL-safe; padding ignored.</summary>
    public static bool TryDecodePublicKey(string key, out byte[] raw)
    {
        var trimmed = key.TrimEnd('=');
        return trimmed.AsSpan().ContainsAny('+', '/')
            ? Base64Url.TryDecodeAnyAlphabet(trimmed, out raw)
            : Base64Url.TryDecode(trimmed, out raw);
    }

    public ApiError? Validate(VapidCredentials credentials)
    {
        if (!TryDecodePublicKey(credentials.PublicKey, out var rawKey))
        {
            return ApiError.Vapid("Invalid VAPID public key: not base64");
        }

        var parts = credentials.Token.Split('.');
        if (parts.Length != 3 || !Base64Url.TryDecode(parts[0], out var header) || !Base64Url.TryDecode(parts[2], out var signature))
        {
            return ApiError.Vapid("Invalid VAPID token: InvalidToken");
        }

        if (!IsEs256(header))
        {
            return ApiError.Vapid("Invalid VAPID token: InvalidAlgorithm");
        }

        if (!VerifySignature(rawKey, parts[0].Length + 1 + parts[1].Length, credentials.Token, signature))
        {
            return ApiError.Vapid("Invalid VAPID token: InvalidSignature");
        }

        if (!Base64Url.TryDecode(parts[1], out var claimsJson))
        {
            return ApiError.Vapid("Invalid VAPID token: InvalidToken");
        }

        return ValidateClaims(claimsJson);
    }

    private ApiError? ValidateClaims(byte[] claimsJson)
    {
        ulong? exp = null;
        string? aud = null;
        try
        {
            using var doc = JsonDocument.Parse(claimsJson);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return ApiError.Vapid(ClaimsDataError);
            }

            foreach (var claim in doc.RootElement.EnumerateObject())
            {
                switch (claim.Name)
                {
                    case "exp":
                        if (claim.Value.ValueKind != JsonValueKind.Number || !claim.Value.TryGetUInt64(out var e))
                        {
                            return ApiError.Vapid(ClaimsDataError);
                        }

                        exp = e;
                        break;
                    case "aud":
                        if (claim.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                        {
                            return ApiError.Vapid(ClaimsDataError);
                        }

                        aud = claim.Value.GetString();
                        break;
                    case "sub":
                        if (claim.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                        {
                            return ApiError.Vapid(ClaimsDataError);
                        }

                        break;
                }
            }
        }
        catch (JsonException e)
        {
            return ApiError.Vapid("Invalid VAPID token: " + e.Message.Split('\n')[0]);
        }

        if (exp is not { } expiry)
        {
            return ApiError.Vapid("Invalid VAPID token: Missing required exp");
        }

        if (aud is null)
        {
            return ApiError.Vapid("Invalid VAPID token: Missing required aud");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (expiry + LeewaySeconds < (ulong)now)
        {
            return ApiError.Vapid("Invalid VAPID token: ExpiredSignature");
        }

        if (!audiences.Contains(aud.TrimEnd('/').ToLowerInvariant()))
        {
            return ApiError.Vapid("Invalid VAPID audience");
        }

        return expiry > (ulong)(now + MaxLifetimeSeconds)
            ? ApiError.Vapid("The VAPID token expiration is too long")
            : null;
    }

    private static bool IsEs256(byte[] header)
    {
        try
        {
            using var doc = JsonDocument.Parse(header);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("alg", out var alg)
                && alg.ValueKind == JsonValueKind.String
                && alg.GetString() == "ES256";
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool VerifySignature(byte[] rawKey, int signedLength, string token, byte[] signature)
    {
        // An uncompressed P-256 point: 0x04 ‖ X(32) ‖ Y(32).
        if (rawKey.Length != 65 || rawKey[0] != 0x04 || signature.Length != 64)
        {
            return false;
        }

        try
        {
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = rawKey[1..33], Y = rawKey[33..65] },
            });
            var signed = System.Text.Encoding.ASCII.GetBytes(token, 0, signedLength);
            return ecdsa.VerifyData(signed, signature, HashAlgorithmName.SHA256);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
