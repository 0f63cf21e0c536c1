package com.pyerp.deployaction.image;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.registry.RegistryClient;
import com.pyerp.deployaction.registry.RegistryRepository;
import java.io.IOException;
import java.util.Optional;

/** The question asked before a build: may these credentials push to this repository? */
final class RegistryProbe {

    private RegistryProbe() {}

    /**
     * Opens a blob upload session and cancels it at once. Returns the registry's refusal (status and body) for
     * a 401 or 403, or empty when pushing looks allowed or the check was inconclusive (network trouble, an unusual
     * auth flow: the build itself will tell). A certificate the runner does not trust is not inconclusive: it fails
     * here in a second, where Jib would retry the handshake for most of a minute.
     *
     * @param anonymous no credential was given, so a 401 is a refusal and not a login that did not take
     */
    static Optional<String> pushRefusal(RegistryRepository repository, boolean anonymous) {
        try {
            RegistryClient.Response answer = repository.openUpload();
            if (answer.status() == 401 && !answer.authorized()) {
                return anonymous ? Optional.of(answer.describe()) : Optional.empty();
            }
            if (answer.status() == 202) {
                answer.resolvedLocation().ifPresent(repository::cancelUpload);
            }
            return answer.status() == 401 || answer.status() == 403 ? Optional.of(answer.describe()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            if (RegistryFailures.isCertificateProblem(e)) {
                throw new ActionException("Registry certificate not trusted", RegistryFailures.describe(e) + ". "
                        + RegistryFailures.advice(e, repository.registry(), false) + " Nothing was built or pushed.");
            }
            return Optional.empty();
        }
    }
}
