package com.pyerp.deployaction.ssh;

import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyFactorySpi;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;

/**
 * sshj asks the JCA for a KeyFactory named {@code ECDSA}, a BouncyCastle name; the JDK's is called {@code EC}.
 * Without BouncyCastle (left out of the jar for size and start-up time) every ECDSA client key and ECDSA host
 * key would fail with "ECDSA KeyFactory not available". This provider answers {@code ECDSA} with the JDK's
 * {@code EC} factory.
 */
final class JdkEcdsa {

    private static final String NAME = "pyerp-jdk-ecdsa";

    private JdkEcdsa() {}

    static synchronized void install() {
        if (Security.getProvider(NAME) == null) {
            Security.addProvider(new AliasProvider());
        }
    }

    private static final class AliasProvider extends Provider {
        AliasProvider() {
            super(NAME, "1.0", "ECDSA KeyFactory backed by the JDK's EC KeyFactory");
            putService(new Service(this, "KeyFactory", "ECDSA", EcKeyFactory.class.getName(), null, null) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new EcKeyFactory();
                }
            });
        }
    }

    static final class EcKeyFactory extends KeyFactorySpi {
        private final KeyFactory delegate;

        EcKeyFactory() {
            try {
                delegate = KeyFactory.getInstance("EC");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected PublicKey engineGeneratePublic(KeySpec keySpec) throws InvalidKeySpecException {
            return delegate.generatePublic(keySpec);
        }

        @Override
        protected PrivateKey engineGeneratePrivate(KeySpec keySpec) throws InvalidKeySpecException {
            return delegate.generatePrivate(keySpec);
        }

        @Override
        protected <T extends KeySpec> T engineGetKeySpec(Key key, Class<T> keySpec) throws InvalidKeySpecException {
            return delegate.getKeySpec(key, keySpec);
        }

        @Override
        protected Key engineTranslateKey(Key key) throws InvalidKeyException {
            return delegate.translateKey(key);
        }
    }
}
