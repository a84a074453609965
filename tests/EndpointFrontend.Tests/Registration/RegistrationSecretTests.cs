using Push.EndpointFrontend.Registration;

namespace Push.EndpointFrontend.Tests.Registration;

public sealed class RegistrationSecretTests
{
    private static readonly Guid Uaid = Guid.Parse("729e5104f5f04abc9196085340317dea");

    [Fact]
    public void Create_MatchesASecretMadeByTheOlderImplementations() =>
        // HMAC-SHA256 over the 32-hex UAID with the auth key's text (not its base64 bytes) as the key.
        Assert.Equal("f694963453adf5dedcc379bbdd6900d692b6e09f1c91f44169bfcd2f941bf36c",
            RegistrationSecret.Create("HJVPy4ZwF4Yz_JdvXTL8hRcwIhv742vC60Tg5Ycrvw8=", Uaid));

    [Fact]
    public void IsValid_AnyConfiguredKey_Accepts()
    {
        var secret = RegistrationSecret.Create("old-key", Uaid);

        Assert.True(RegistrationSecret.IsValid(secret, Uaid, ["new-key", "old-key"]));
        Assert.False(RegistrationSecret.IsValid(secret, Uaid, ["new-key"]));
        Assert.False(RegistrationSecret.IsValid(secret, Guid.NewGuid(), ["old-key"]));
        Assert.False(RegistrationSecret.IsValid(secret[..^1], Uaid, ["old-key"]));
    }
}
