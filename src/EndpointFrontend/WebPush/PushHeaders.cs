using System.Globalization;
using Microsoft.AspNetCore.Http;
using Push.EndpointFrontend.Errors;
using Push.EndpointFrontend.Http;
using Push.Grains.Messages;
using Push.Shared.Protocol;

namespace Push.EndpointFrontend.WebPush;

/// <summary>The validated push headers of one request.</summary>
internal sealed record PushHeaders(long Ttl, string? Topic, NotificationHeaders? ClientHeaders, Urgency Urgency)
{
    /// <summary>
    /// Reads TTL, Topic, Urgency and (for a request with a body) the encryption headers, in the
    /// reference's order: TTL presence (111), encryption (110), then TTL sign (114) and Topic (113).
    /// </summary>
    public static ApiError? TryRead(IHeaderDictionary headers, bool hasData, long maxTtl, out PushHeaders? result)
    {
        result = null;
        var ttlText = headers.FirstValue("TTL");
        if (ttlText is null || !long.TryParse(ttlText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ttl))
        {
            return ApiError.NoTtl;
        }

        ttl = Math.Min(ttl, maxTtl);
        NotificationHeaders? clientHeaders = null;
        if (hasData)
        {
            var encoding = headers.FirstValue("Content-Encoding");
            var encryption = headers.FirstValue("Encryption") is { } e ? HeaderText.StripForClient(e) : null;
            var cryptoKey = headers.FirstValue("Crypto-Key") is { } c ? HeaderText.StripForClient(c) : null;
            if (EncryptionRules.Check(encoding, encryption, cryptoKey) is { } encryptionError)
            {
                return encryptionError;
            }

            clientHeaders = new NotificationHeaders(encoding, encryption, cryptoKey);
        }

        if (ttl < 0)
        {
            return ApiError.NegativeTtl;
        }

        var topic = headers.FirstValue("Topic");
        if (topic is not null)
        {
            if (topic.Length > 32)
            {
                return ApiError.InvalidTopic("Topic must be no greater than 32 characters");
            }

            if (!HeaderText.IsBase64Url(topic))
            {
                return ApiError.InvalidTopic("Topic must be URL and Filename safe Base64 alphabet");
            }
        }

        // RFC 8030 §5.3: an absent or unknown Urgency is "normal".
        var urgency = UrgencyText.TryParse(headers.FirstValue("Urgency"), out var u) ? u : Urgency.Normal;
        result = new PushHeaders(ttl, topic, clientHeaders, urgency);
        return null;
    }
}
