package dev.pricelake.local.standins;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {
    @Test
    void aPortIsHeldByTheProcessListeningOnItAndByNoOther() throws Exception {
        long self = ProcessHandle.current().pid();
        Process other = new ProcessBuilder("sleep", "30").start();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            assertThat(ListeningSockets.heldBy(self, port)).isTrue();
            assertThat(ListeningSockets.heldBy(other.pid(), port)).as("the stand-in we started, when another took its port").isFalse();
            server.close();
            assertThat(ListeningSockets.heldBy(self, port)).as("closed").isFalse();
        } finally {
            other.destroyForcibly();
        }
    }
}
