package com.pyerp.deployaction.action;

/** Every output the action sets. action.yml declares exactly these (checked by a test). */
public enum Output {
    VERSION("version"),
    TAGS("tags"),
    TAG_NAMES("tag-names"),
    LABELS("labels"),
    ANNOTATIONS("annotations"),
    JSON("json"),
    IMAGE("image"),
    DIGEST("digest"),
    IMAGEID("imageid"),
    PUSHED("pushed"),
    ENVIRONMENT("environment"),
    DEPLOYED("deployed"),
    URL("url"),
    PREVIOUS_IMAGE("previous-image"),
    DEPLOYMENT_ID("deployment-id"),
    SBOM("sbom"),
    SARIF("sarif");

    private final String id;

    Output(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }
}
