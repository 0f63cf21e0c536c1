package com.pyerp.deployaction.registry;

/**
 * A login for one registry. When {@code username} is {@value #IDENTITY_TOKEN_USER}, {@code secret} is an identity
 * token (an OAuth2 refresh token): pass both unchanged to Jib ({@code RegistryImage.addCredential(username, secret)}),
 * which then asks the registry's token endpoint for a bearer token with {@code grant_type=refresh_token}.
 *
 * @param source where the login came from, for log lines, such as {@code registry-password input}; never the secret
 */
public record Credential(String username, String secret, String source) {

    /** The user name with which Docker and Jib mark an identity token. */
    public static final String IDENTITY_TOKEN_USER = "<token>";

    @Override
    public String toString() {
        return "Credential[username=" + username + ", source=" + source + "]";
    }
}
