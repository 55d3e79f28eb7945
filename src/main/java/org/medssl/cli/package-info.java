/**
 * The {@code medssl} command line (picocli): each subcommand parses its options, delegates to the
 * owning package and reports progress. User errors ({@link org.medssl.MedsslException}) become one
 * line on stderr and exit code 2; {@code --debug} adds the stack trace.
 */
package org.medssl.cli;
