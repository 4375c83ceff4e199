package dev.intake.platform.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns a host name into addresses; called once per outbound request (or hop), before anything connects. */
@FunctionalInterface
public interface NameResolver {

	/** The system resolver. */
	NameResolver SYSTEM = InetAddress::getAllByName;

	InetAddress[] resolve(String host) throws UnknownHostException;

}
