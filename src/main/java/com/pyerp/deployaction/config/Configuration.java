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

    public Configuration(Inputs inputs, Workspace workspace, Map<String, String> env) {
        this.inputs = inputs;
        this.workspace = workspace;
        this.env = env;
    }

    /** @param defaultContext where the context comes from when the input is empty */
    public PipelineSettings pipeline(ContextSource defaultContext) {
        return PipelineSettings.from(inputs, defaultContext);
    }

    public MetadataSettings metadata() {
        return MetadataSettings.from(inputs);
    }

    public BuildSettings build() {
        return new BuildSettings(BuildDefinition.resolve(inputs, workspace), RegistrySettings.from(inputs));
    }

    public ScanSettings scan() {
        return ScanSettings.from(inputs, workspace, env);
    }

    public DeploySettings deploy(PipelineSettings pipeline) {
        return new DeploySettings(new DeployTargets(inputs, pipeline, workspace), SshSettings.from(inputs),
                RegistrySettings.from(inputs), inputs.string(Input.GITHUB_TOKEN));
    }

    /** @param repositoryName names the default app directory */
    public SetupSettings setup(String repositoryName) {
        return SetupSettings.from(inputs, repositoryName, workspace);
    }
}
