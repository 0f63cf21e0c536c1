package com.pyerp.deployaction.meta;

import com.pyerp.deployaction.action.JsonWriter;
import com.pyerp.deployaction.registry.ImageName;
import com.pyerp.deployaction.results.ImageMetadata;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Tags, labels and annotations, computed from the rules exactly as docker/metadata-action computes them,
 * except that every tag is valid (see {@link #validTag}) and {@code created} is the commit date.
 *
 * @param version the first (highest-priority) tag value, or empty
 * @param tags full references ({@code image:tag}) for every enabled image, or bare tags without images
 * @param tagNames the tags without image names
 * @param labels {@code key=value}, sorted by key
 * @param annotations {@code level:key=value} for each annotation level
 * @param warnings what metadata-action would warn about, and the tags that had to be repaired
 * @param created the commit date: the {@code created} label, and the image's creation time
 */
public record Metadata(
        String version,
        List<String> tags,
        List<String> tagNames,
        List<String> labels,
        List<String> annotations,
        List<String> warnings,
        Instant created) {

    /** What the build needs, for the enabled {@code images}: their names, the tags, the labels and the creation time. */
    public ImageMetadata forImage(List<ImageName> images) {
        return new ImageMetadata(images.stream().filter(ImageName::enabled).map(ImageName::name).toList(), tagNames,
                labels, created);
    }

    static final int MAX_TAG_LENGTH = 128;
    static final Pattern INVALID_TAG_CHARACTERS = Pattern.compile("[^a-zA-Z0-9._-]+");
    private static final Pattern INVALID_LEADING = Pattern.compile("^[.-]+");

    /** The inputs of the metadata stage, parsed. */
    public record Rules(
            List<ImageName> images,
            List<TagRule> tags,
            Flavor flavor,
            List<String> labels,
            List<String> annotations,
            List<String> annotationLevels) {}

    public static Metadata compute(Rules rules, MetaContext context, RepositoryInfo repository) {
        return new TagCalculation(rules, context, repository).run();
    }

    /** The output {@code json}, shaped and ordered like metadata-action's. */
    public String json() {
        JsonWriter json = JsonWriter.javascript().open('{').field("tags").strings(tags).field("tag-names").strings(tagNames)
                .field("labels").open('{');
        for (String label : labels) {
            int equals = label.indexOf('=');
            json.field(label.substring(0, equals)).string(label.substring(equals + 1));
        }
        return json.close('}').field("annotations").strings(annotations).close('}').toString();
    }

    /**
     * metadata-action's sanitizing (runs of invalid characters become {@code -}), then what it leaves out:
     * no leading {@code .} or {@code -}, and at most 128 characters, shortened with a hash of the whole value
     * so that different long values stay different. Empty when nothing valid is left.
     */
    static String validTag(String value) {
        String tag = INVALID_LEADING.matcher(INVALID_TAG_CHARACTERS.matcher(value).replaceAll("-")).replaceFirst("");
        if (tag.length() <= MAX_TAG_LENGTH) {
            return tag;
        }
        String hash = HexFormat.of().formatHex(sha256(tag)).substring(0, 8);
        return tag.substring(0, MAX_TAG_LENGTH - hash.length() - 1) + "-" + hash;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
