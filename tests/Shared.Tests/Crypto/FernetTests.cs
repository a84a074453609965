using System.Text;
using System.Text.Json;
using Push.Shared.Crypto;

namespace Push.Shared.Tests.Crypto;

/// <summary>The published Fernet specification vectors (generate.json, verify.json, invalid.json).</summary>
public sealed class FernetTests
{
    public static TheoryData<string> InvalidDescriptions() => [.. Vectors("invalid.json").Select(v => v.GetProperty("desc").GetString()!)];

    [Fact]
    public void Encrypt_SpecGenerateVector_ProducesExactToken()
    {
        foreach (var v in Vectors("generate.json"))
        {
            var fernet = new Fernet(Key(v));
            var iv = v.GetProperty("iv").EnumerateArray().Select(e => (byte)e.GetInt32()).ToArray();
            var token = fernet.Encrypt(Encoding.UTF8.GetBytes(v.GetProperty("src").GetString()!), Now(v), iv);
            Assert.Equal(v.GetProperty("token").GetString(), token);
        }
    }

    [Fact]
    public void TryDecrypt_SpecVerifyVector_ReturnsSource()
    {
        foreach (var v in Vectors("verify.json"))
        {
            var fernet = new Fernet(Key(v));
            Assert.True(fernet.TryDecrypt(v.GetProperty("token").GetString()!, out var plain, TimeSpan.FromSeconds(v.GetProperty("ttl_sec").GetInt32()), Now(v)));
            Assert.Equal(v.GetProperty("src").GetString(), Encoding.UTF8.GetString(plain));
        }
    }

    [Theory]
    [MemberData(nameof(InvalidDescriptions))]
    public void TryDecrypt_SpecInvalidVector_Fails(string description)
    {
        var v = Vectors("invalid.json").Single(x => x.GetProperty("desc").GetString() == description);
        var fernet = new Fernet(Key(v));
        Assert.False(fernet.TryDecrypt(v.GetProperty("token").GetString()!, out _, TimeSpan.FromSeconds(v.GetProperty("ttl_sec").GetInt32()), Now(v)));
    }

    [Fact]
    public void TryDecrypt_WithoutTtl_AcceptsOldTokens()
    {
        var v = Vectors("verify.json")[0];
        Assert.True(new Fernet(Key(v)).TryDecrypt(v.GetProperty("token").GetString()!, out var plain));
        Assert.Equal("hello", Encoding.UTF8.GetString(plain));
    }

    [Fact]
    public void KeyRing_SecondKey_DecryptsButFirstEncrypts()
    {
        var oldKey = new byte[32];
        var newKey = Enumerable.Repeat((byte)7, 32).ToArray();
        var oldToken = new FernetKeyRing([oldKey]).Encrypt("legacy"u8);
        var rotated = new FernetKeyRing([newKey, oldKey]);

        Assert.True(rotated.TryDecrypt(oldToken, out var plain));
        Assert.Equal("legacy", Encoding.UTF8.GetString(plain));
        var fresh = rotated.Encrypt("fresh"u8);
        Assert.True(new FernetKeyRing([newKey]).TryDecrypt(fresh, out _));
        Assert.False(new FernetKeyRing([oldKey]).TryDecrypt(fresh, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a token")]
    [InlineData("gAAAAA")]
    public void KeyRing_Garbage_FailsCleanly(string token) => Assert.False(new FernetKeyRing([new byte[32]]).TryDecrypt(token, out _));

    private static byte[] Key(JsonElement v) => Convert.FromBase64String(v.GetProperty("secret").GetString()!.Replace('-', '+').Replace('_', '/'));

    private static DateTimeOffset Now(JsonElement v) => DateTimeOffset.Parse(v.GetProperty("now").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    private static JsonElement[] Vectors(string file) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Crypto", "Vectors", file))).RootElement.EnumerateArray()];
}
