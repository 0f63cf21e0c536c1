package com.pyerp.deployaction.system;

import com.pyerp.deployaction.action.ActionException;
import com.pyerp.deployaction.config.SystemPackagesSettings;
import com.pyerp.deployaction.debian.AptSource;
import com.pyerp.deployaction.debian.BinaryPackage;
import com.pyerp.deployaction.debian.ControlParagraph;
import com.pyerp.deployaction.debian.Resolver;
import java.util.List;

/**
 * One platform's part of the system image resolved from the suites: its base, the suites it installs from
 * (verified), and the key that names its layer while none of that changes.
 */
record PlatformPackages(SystemPackagesSettings settings, BaseImage.Platform base, List<SuiteIndexes.Suite> suites,
        String key) {

    /** @param sources the configured ones, or the base's defaults */
    static PlatformPackages of(SystemPackagesSettings settings, BaseImage.Platform base, List<AptSource> sources,
            SuiteIndexes indexes) {
        List<SuiteIndexes.Suite> suites = sources.stream().map(indexes::release).toList();
        String key = String.join("\n", base.digest(), base.architecture(), settings.packages().toString(),
                sources.toString(), settings.keyring().fingerprints().toString(),
                suites.stream().map(SuiteIndexes.Suite::signedSha256).toList().toString());
        return new PlatformPackages(settings, base, suites, SystemPackagesStage.sha256(key));
    }

    /** Every package the suites offer for this platform. */
    List<BinaryPackage> candidates(SuiteIndexes indexes) {
        return indexes.packagesOf(suites, base.architecture());
    }

    /** The packages to add, in unpacking order, and the requested ones the base has. */
    Resolver.Resolution resolve(List<BinaryPackage> candidates, BaseFiles files) {
        try {
            return Resolver.resolve(settings.packages(), base.architecture(), candidates, installed(files.installed()));
        } catch (Resolver.Unresolvable e) {
            throw new ActionException("System packages: cannot be installed", e.getMessage());
        }
    }

    private static List<BinaryPackage> installed(String status) {
        return ControlParagraph.parseAll(status).stream()
                .filter(paragraph -> paragraph.get("Status").equals("install ok installed"))
                .map(paragraph -> BinaryPackage.of(paragraph, "the base image")).toList();
    }
}
