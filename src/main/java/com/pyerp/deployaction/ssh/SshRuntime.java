package com.pyerp.deployaction.ssh;

import net.schmizz.sshj.common.SecurityUtils;

/**
 * What sshj needs from the JVM before its first class loads: the JDK's EC KeyFactory under BouncyCastle's name
 * ({@link JdkEcdsa}), and SLF4J told that logging is off on purpose, so that it does not print three
 * "No SLF4J providers were found" warnings into the workflow log. BouncyCastle's classes are on the class path for
 * OpenPGP (the Debian archive's signatures), but sshj is told not to register them as a JCA provider: its SSH stays
 * on the JDK's crypto, as in the shipped jar, which keeps only the OpenPGP classes.
 */
final class SshRuntime {

    private SshRuntime() {}

    static void prepare() {
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        SecurityUtils.setRegisterBouncyCastle(false);
        JdkEcdsa.install();
    }
}
