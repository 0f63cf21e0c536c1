/** Facts about an operating system, an image's or a server's, read from its files. */
package com.pyerp.deployaction.os;
