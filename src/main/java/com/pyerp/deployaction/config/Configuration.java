package com.pyerp.deployaction.config;

import com.pyerp.deployaction.action.Workspace;
import java.util.Map;

/**
 * The one reader of the action's inputs. Each method reads and checks the inputs of one part of the run, and the
 * entry point calls each at most once, before anything is pushed or deployed; a part the run skips is not read.
 */
public final class Configuration {

    private final Inputs inputs;
    private final Workspace workspace;
    private final Map<String, String> env;
    private final ContextSource defaultContext;
    private PipelineSettings.Early early;
    private RegistrySettings registry;

    /** @param defaultContext where the context comes from when the input is empty */
    public Configuration(Inputs inputs, Workspace workspace, Map<String, String> env, ContextSource defaultContext) {
        this.inputs = inputs;
        this.workspace = workspace;
        this.env = env;
        this.defaultContext = defaultContext;
    }

    /** The switches, with the inputs that are checked up front whatever the command. */
    public PipelineSettings pipeline() {
        return early().settings();
    }

    public MetadataSettings metadata() {
        return MetadataSettings.from(inputs);
    }

    public BuildSettings build() {
        return new BuildSettings(BuildDefinition.resolve(inputs, early().format(), workspace), registry(),
                BuildSettings.attempts(inputs));
    }

    /** The Debian packages to add to the base image; {@link SystemPackagesSettings#enabled()} is false for none. */
    public SystemPackagesSettings systemPackages() {
        return SystemPackagesSettings.from(inputs, workspace);
    }

    public ScanSettings scan() {
        return ScanSettings.from(inputs, early().scanSeverity(), early().scanIgnoreUnfixed(), workspace, env);
    }

    public DeploySettings deploy() {
        return new DeploySettings(new DeployTargets(early().deploy(), early().settings(), workspace),
                SshSettings.from(inputs), registry(), inputs.string(Input.GITHUB_TOKEN), previousImage());
    }

    private String previousImage() {
        String image = inputs.string(Input.PREVIOUS_IMAGE);
        if (image.isEmpty()) {
            return image;
        }
        if (early().settings().command() != Command.ROLLBACK) {
            throw inputs.invalid(Input.PREVIOUS_IMAGE, "empty unless command is rollback: only a rollback reads it");
        }
        if (!image.matches("[a-z0-9][a-z0-9._:/-]*@sha256:[0-9a-f]{64}")) {
            throw inputs.invalid(Input.PREVIOUS_IMAGE, "an image by digest, name@sha256:<64 hex digits>, such as the"
                    + " previous-image output of the deploy you undo");
        }
        return image;
    }

    /** @param repositoryName names the default app directory */
    public SetupSettings setup(String repositoryName) {
        return SetupSettings.from(inputs, repositoryName, workspace);
    }

    private PipelineSettings.Early early() {
        if (early == null) {
            early = PipelineSettings.read(inputs, defaultContext);
        }
        return early;
    }

    /** Read once, for the build and the deploy alike. */
    private RegistrySettings registry() {
        if (registry == null) {
            registry = RegistrySettings.from(inputs);
        }
        return registry;
    }
}
