// A client that opens agent-socket connections without end and never closes one: run by ConnectionFloodTests
// as its own process, so the sidecar sees one peer process flooding. It prints one JSON line every 100 attempts
// and every second:
//   attempts        connections tried
//   connectFailed   never connected: the kernel refused the connect (a full accept backlog answers EAGAIN)
//   refused         connected, then answered with one TooManyConnections error (id null) and closed by the sidecar
//   open            connected and still open (admitted, or a refusal still on its way)
//   closedOtherwise connected, then closed without that error, or reset
// A line on stdin stops new attempts; once nothing changed for a second it prints a last line with "final": true.
import net from 'node:net';

const socketPath = process.argv[2];
const counts = { attempts: 0, connectFailed: 0, refused: 0, open: 0, closedOtherwise: 0, message: '', final: false };
const admitted = new Set();
let stopping = false;
let lastChange = Date.now();

function report() {
  process.stdout.write(JSON.stringify(counts) + '\n');
}

function connectOne() {
  counts.attempts++;
  let received = '';
  let connected = false;
  let settled = false;
  const socket = net.createConnection(socketPath);
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    received += chunk;
  });
  socket.on('connect', () => {
    connected = true;
    counts.open++;
    admitted.add(socket);
    lastChange = Date.now();
    // The next attempt once this one is established: connections pile up as fast as the sidecar accepts them.
    setImmediate(next);
  });
  const settle = (reset) => {
    if (settled) {
      return;
    }
    settled = true;
    lastChange = Date.now();
    admitted.delete(socket);
    if (!connected) {
      counts.connectFailed++;
      setImmediate(next);
      return;
    }
    counts.open--;
    if (!reset) {
      try {
        const frame = JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4));
        if (frame.id === null && frame.error?.code === 8) {
          counts.refused++;
          counts.message ||= frame.error.message;
          return;
        }
      } catch {
        // Not a refusal frame: counted below.
      }
    }
    counts.closedOtherwise++;
  };
  socket.on('end', () => settle(false));
  socket.on('error', () => settle(true));
}

function next() {
  if (stopping) {
    return;
  }
  if (counts.attempts % 100 === 0) {
    report();
  }
  connectOne();
}

process.stdout.on('error', () => process.exit(0));
process.stdin.on('data', () => {
  stopping = true;
});
setInterval(() => {
  if (stopping && Date.now() - lastChange > 1000) {
    counts.final = true;
  }
  report();
}, 1000);
connectOne();
