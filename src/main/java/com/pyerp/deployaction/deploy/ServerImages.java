package com.pyerp.deployaction.deploy;

import com.pyerp.deployaction.registry.Credential;
import com.pyerp.deployaction.ssh.OutputListener;
import com.pyerp.deployaction.ssh.RemoteShell;
import java.util.List;

/** The release's image on one server, whatever the engine: pulled with the release's login, old ones pruned. */
final class ServerImages {

    private ServerImages() {}

    /** With the release's credential, through a login that lasts only as long as the pull. */
    static void pull(RemoteShell shell, HostLog log, String appDir, String image, Credential login) {
        if (login == null) {
            log.run(shell, ImageCommands.pull(image));
            return;
        }
        String registry = ImageReference.parse(image).registry();
        log.info("$ docker login --username " + login.username() + " --password-stdin " + registry
                + " (a throwaway DOCKER_CONFIG, removed when the pull ends)");
        log.info("$ docker pull " + image);
        shell.run(ImageCommands.pullWithThrowawayLogin(appDir, registry, login.username(), login.secret(), image),
                log.output());
    }

    /** Removes all but the {@code keep} newest images of the release's repository, never it nor {@code previousImage}. */
    static void prune(RemoteShell shell, HostLog log, String image, String previousImage, int keep) {
        ImageReference reference = ImageReference.parse(image);
        String listing = shell.run(ImageCommands.listImages(reference.repository()), OutputListener.SILENT).stdout();
        List<String> remove = ImageCommands.imagesToRemove(listing, keep,
                List.of(reference.digest(), ImageReference.parse(previousImage).digest()));
        if (!remove.isEmpty()) {
            shell.execute(ImageCommands.removeImages(remove), log.output());
        }
        log.info("kept the " + keep + " newest images of " + reference.repository()
                + " and the rollback image, removed " + remove.size());
    }
}
