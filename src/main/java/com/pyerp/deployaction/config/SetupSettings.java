package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.action.AppDirectory;
import com.pyerp.deployaction.action.DotEnv;
import com.pyerp.deployaction.action.Workspace;
import com.pyerp.deployaction.registry.ImageName;
import com.pyerp.deployaction.ssh.SshConnector;
import com.pyerp.deployaction.ssh.SshEndpoint;
import com.pyerp.deployaction.ssh.SshOptions;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every input of {@code command: setup-server}, parsed and checked before any connection, so that a bad value
 * changes nothing on any server.
 *
 * @param sourceText the source env file's content ("" without {@code env-file})
 */
public record SetupSettings(List<SshEndpoint> hosts, SshConnector connector, String sudoPassword, SetupTarget target, DotEnv source, String sourceText, EnvTemplate template) {

    public static final String DEFAULT_SSH_USER = "root";

    /** Names what is set up where; the sudo password and the env values are secrets and stay out. */
    @Override
    public String toString() {
        return "SetupSettings[" + hosts + ", " + target + ", " + source.entries().size() + " env-file values, "
                + (sudoPassword == null || sudoPassword.isEmpty() ? "no" : "a") + " sudo password]";
    }
    private static final Pattern USER_NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final Pattern APP_DIR = Pattern.compile("(/[A-Za-z0-9._-]+)+");
    private static final Pattern IPV4_PORT = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})(?::(\\d{1,5}))?");
    private static final Pattern IPV6_PORT = Pattern.compile("\\[([0-9A-Fa-f:.]+)](?::(\\d{1,5}))?");
    private static final Pattern INTERFACE_PORT = Pattern.compile("([A-Za-z][A-Za-z0-9_.-]{0,14})(?::(\\d{1,5}))?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");
    private static final Pattern PUBLIC_KEY = Pattern.compile(
            "(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|sk-ssh-ed25519@openssh.com"
                    + "|sk-ecdsa-sha2-nistp256@openssh.com) ([A-Za-z0-9+/]+={0,2})(?: [^\\r\\n]*)?");

    /**
     * @param repositoryName names the default app directory, {@code /srv/<repositoryName>}
     * @param workspace resolves relative {@code env-file} and {@code env-template} paths
     */
    static SetupSettings from(Inputs inputs, String repositoryName, Workspace workspace) {
        String appUser = appUser(inputs);
        String appDir = appDir(inputs, repositoryName);
        String publicKey = publicKey(inputs);
        SetupTarget.Registry registry = registry(inputs);
        SetupTarget.Proxy proxy = Choices.of(inputs, Input.PROXY, SetupTarget.Proxy.class);
        SetupTarget.Swarm swarm = Choices.of(inputs, Input.SWARM, SetupTarget.Swarm.class);
        String advertiseAddr = advertiseAddr(inputs);
        String sourceText = textOrFile(inputs, Input.ENV_FILE, workspace);
        DotEnv source = parse(inputs, Input.ENV_FILE, sourceText);
        String templateText = textOrFile(inputs, Input.ENV_TEMPLATE, workspace);
        EnvTemplate template;
        try {
            template = EnvTemplate.from(parse(inputs, Input.ENV_TEMPLATE, templateText), "env-template");
        } catch (IllegalArgumentException e) {
            throw new ActionException("Invalid input: env-template", e.getMessage() + ".");
        }

        String user = inputs.isSet(Input.SSH_USER) ? inputs.string(Input.SSH_USER) : DEFAULT_SSH_USER;
        int port = inputs.isSet(Input.SSH_PORT) ? inputs.port(Input.SSH_PORT) : 22;
        List<SshEndpoint> hosts = new ArrayList<>();
        for (String host : inputs.list(Input.SSH_HOST)) {
            hosts.add(endpoint(inputs, Input.SSH_HOST, host, user, port));
        }
        if (hosts.isEmpty()) {
            throw new ActionException("Missing input: ssh-host", "command: setup-server needs 'ssh-host', the server"
                    + " to provision (host or user@host:port).");
        }
        SshEndpoint jump = inputs.isSet(Input.SSH_JUMP_HOST)
                ? endpoint(inputs, Input.SSH_JUMP_HOST, inputs.string(Input.SSH_JUMP_HOST), user, 22) : null;
        SshConnector connector = SshSettings.from(inputs).connector(hosts, jump, SshOptions.DEFAULTS);
        return new SetupSettings(List.copyOf(hosts), connector, inputs.string(Input.SUDO_PASSWORD),
                new SetupTarget(appUser, appDir, publicKey, registry, proxy, swarm, advertiseAddr), source, sourceText, template);
    }

    static String appUser(Inputs inputs) {
        String name = inputs.string(Input.APP_USER);
        if (!USER_NAME.matcher(name).matches() || name.equals("root")) {
            throw inputs.invalid(Input.APP_USER, "a Linux user name other than root: lower-case letters, digits, _ and"
                    + " -, starting with a letter or _, at most 32 characters (for example pyerp)");
        }
        return name;
    }

    static String appDir(Inputs inputs, String repositoryName) {
        if (!inputs.isSet(Input.APP_DIR)) {
            String name = repositoryName.toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9._-]+") || name.startsWith(".")) {
                throw new ActionException("Missing input: app-dir", "The default app-dir is /srv/<repository name>, but"
                        + " the repository name is " + (name.isEmpty() ? "unknown" : "'" + name + "'")
                        + ". Set 'app-dir', for example /srv/pyerp.");
            }
            return "/srv/" + name;
        }
        String dir = inputs.string(Input.APP_DIR);
        String normal;
        try {
            normal = AppDirectory.normalise(dir);
        } catch (IllegalArgumentException e) {
            normal = null;
        }
        if (normal != null && APP_DIR.matcher(normal).matches()) {
            return normal;
        }
        throw inputs.invalid(Input.APP_DIR, "an absolute directory of its own, such as /srv/pyerp (letters, digits,"
                + " '.', '_', '-' and '/'; no '//', '.' or '..' parts; not a system directory such as /srv or /etc"
                + " itself, and nothing inside /etc, /usr, /proc or the like)");
    }

    static String publicKey(Inputs inputs) {
        String key = inputs.string(Input.APP_PUBLIC_KEY);
        if (key.isEmpty()) {
            return "";
        }
        if (key.contains("PRIVATE KEY")) {
            throw new ActionException("Invalid input: app-public-key", "Input 'app-public-key' holds a private key."
                    + " Set it to the public key (the .pub file, one line such as ssh-ed25519 AAAA… deploy), and"
                    + " replace that private key: it has been exposed to this workflow's inputs.");
        }
        Matcher matcher = PUBLIC_KEY.matcher(key);
        if (!matcher.matches() || !keyTypeInside(matcher.group(2), matcher.group(1))) {
            throw inputs.invalid(Input.APP_PUBLIC_KEY, "one OpenSSH public key line, such as the content of"
                    + " deploy_ed25519.pub (ssh-ed25519 AAAA… comment)");
        }
        return key;
    }

    private static boolean keyTypeInside(String base64, String type) {
        try {
            byte[] blob = Base64.getDecoder().decode(base64);
            if (blob.length < 4) {
                return false;
            }
            int length = ((blob[0] & 0xff) << 24) | ((blob[1] & 0xff) << 16) | ((blob[2] & 0xff) << 8) | (blob[3] & 0xff);
            return length == type.length() && blob.length >= 4 + length
                    && new String(blob, 4, length, StandardCharsets.US_ASCII).equals(type);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static String advertiseAddr(Inputs inputs) {
        String value = inputs.string(Input.SWARM_ADVERTISE_ADDR);
        if (!value.isEmpty() && !isAdvertiseAddr(value)) {
            throw inputs.invalid(Input.SWARM_ADVERTISE_ADDR, "an IP address or a network interface of the server,"
                    + " optionally with :PORT, such as 10.0.0.5, eth0, 10.0.0.5:2377 or [2001:db8::5]:2377 (or empty"
                    + " for the source address of the server's default route)");
        }
        return value;
    }

    /**
     * What {@code docker swarm init --advertise-addr} takes: an IPv4 address, a bracketed IPv6 address or an interface
     * name, each with an optional port; or an IPv6 address without one.
     */
    static boolean isAdvertiseAddr(String value) {
        Matcher ipv4 = IPV4_PORT.matcher(value);
        if (ipv4.matches()) {
            return Arrays.stream(ipv4.group(1).split("\\.")).allMatch(part -> Integer.parseInt(part) <= 255)
                    && port(ipv4.group(2));
        }
        Matcher bracketed = IPV6_PORT.matcher(value);
        if (bracketed.matches()) {
            return ipv6(bracketed.group(1)) && port(bracketed.group(2));
        }
        Matcher name = INTERFACE_PORT.matcher(value);
        if (name.matches()) {
            return port(name.group(2));
        }
        return IPV6.matcher(value).matches() && ipv6(value);
    }

    private static boolean port(String digits) {
        return digits == null || Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }

    private static boolean ipv6(String literal) {
        try {
            // Only hex digits, '.' and ':' get here: Java parses such a literal and never looks it up.
            return InetAddress.getByName(literal) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static SetupTarget.Registry registry(Inputs inputs) {
        if (!inputs.isSet(Input.REGISTRY_PASSWORD)) {
            return null;
        }
        List<String> lines = inputs.string(Input.IMAGES).lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        List<ImageName> images = lines.isEmpty() ? List.of() : ImageName.parse(lines);
        if (images.isEmpty()) {
            throw new ActionException("Missing input: images", "registry-password is set, so setup-server logs the app"
                    + " user in to the registry of the first image in 'images', but 'images' is empty. Set 'images',"
                    + " for example ghcr.io/OWNER/APP.");
        }
        if (!inputs.isSet(Input.REGISTRY_USERNAME)) {
            throw new ActionException("Missing input: registry-username", "registry-password is set, but"
                    + " registry-username is empty. Set it to the registry user (for ghcr.io, the account that owns the"
                    + " token).");
        }
        return new SetupTarget.Registry(registryOf(images.get(0).name()), inputs.string(Input.REGISTRY_USERNAME),
                inputs.string(Input.REGISTRY_PASSWORD));
    }

    /** The registry part of an image name, as Docker reads it: a first part with '.' or ':', or localhost. */
    static String registryOf(String image) {
        int slash = image.indexOf('/');
        String first = slash < 0 ? "" : image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "docker.io";
    }

    /** The input's value as a file's content: inline when it has a line break or '=', else a path. */
    static String textOrFile(Inputs inputs, Input input, Workspace workspace) {
        String value = inputs.untrimmed(input);
        if (value.isBlank()) {
            return "";
        }
        if (value.contains("\n") || value.contains("=")) {
            return value;
        }
        Path path = workspace.resolve(value.strip());
        if (!workspace.containsInput(path)) {
            throw new ActionException("Invalid input: " + input.id(), "Input '" + input.id() + "': '" + value.strip() + "' "
                    + workspace.outside() + ", or give the content itself.");
        }
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new ActionException("Invalid input: " + input.id(), "Input '" + input.id() + "' names the file "
                    + path + ", which cannot be read (" + e.getClass().getSimpleName() + "). Set it to a file in the"
                    + " repository, or to the content itself.");
        }
    }

    private static DotEnv parse(Inputs inputs, Input input, String text) {
        try {
            return DotEnv.parse(text, input.id());
        } catch (IllegalArgumentException e) {
            throw new ActionException("Invalid input: " + input.id(), "Input '" + input.id() + "' is not a valid .env"
                    + " file: " + e.getMessage() + ". Nothing was changed on any server.");
        }
    }

    private static SshEndpoint endpoint(Inputs inputs, Input input, String spec, String user, int port) {
        try {
            return SshEndpoint.parse(spec, user, port);
        } catch (IllegalArgumentException e) {
            throw inputs.invalid(input, "[user@]host[:port], one per line or comma");
        }
    }
}
