// Anchor for the cold-start and memory rows: the smallest Node server in the language-server style,
// built on vscode-jsonrpc (what vscode-languageserver uses) over stdio, answering initialize and shutdown.
import rpc from 'vscode-jsonrpc/node';

const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(process.stdin), new rpc.StreamMessageWriter(process.stdout));
connection.onRequest('initialize', () => ({ capabilities: {}, serverInfo: { name: 'node-anchor', version: '1' } }));
connection.onRequest('shutdown', () => null);
connection.onNotification('exit', () => process.exit(0));
connection.listen();
