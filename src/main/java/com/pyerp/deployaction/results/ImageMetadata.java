package com.pyerp.deployaction.results;

import java.time.Instant;
import java.util.List;

/**
 * What the metadata stage hands to the build: the enabled image names, the tags to push (without image names), the
 * OCI labels ({@code key=value}) and the image's creation time (the commit date).
 */
public record ImageMetadata(List<String> imageNames, List<String> tagNames, List<String> labels, Instant created) {

    public ImageMetadata {
        imageNames = List.copyOf(imageNames);
        tagNames = List.copyOf(tagNames);
        labels = List.copyOf(labels);
    }
}
