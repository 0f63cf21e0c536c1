package com.pyerp.deployaction.meta;

/** What the OCI labels and the {@code edge} rule need to know about the repository; missing values are empty. */
public record RepositoryInfo(String name, String description, String htmlUrl, String license, String defaultBranch) {}
