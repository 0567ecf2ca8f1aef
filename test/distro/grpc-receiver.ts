/**
 * An OTLP/gRPC trace receiver on 127.0.0.1 for the protocol test: the
 * TraceService/Export method, decoded with the same OTLP schema as the HTTP
 * receiver. Uses @grpc/grpc-js, which the gRPC exporter depends on.
 */
import * as grpc from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import { flatten, type ReceivedSpan } from '../e2e/otlp-receiver';

const root = protobuf.parse(readFileSync(join(__dirname, '..', 'e2e', 'otlp-trace.proto'), 'utf8')).root;
const Request = root.lookupType('otlp.ExportTraceServiceRequest');
const Response = root.lookupType('otlp.ExportTraceServiceResponse');

/** Starts the receiver; `spans` fills as exports arrive. */
export async function startGrpcReceiver(): Promise<{ endpoint: string; spans: ReceivedSpan[]; metadata: grpc.Metadata[]; close(): Promise<void> }> {
  const spans: ReceivedSpan[] = [];
  const metadata: grpc.Metadata[] = [];
  const server = new grpc.Server();
  server.addService(
    {
      Export: {
        path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: (v: object) => Buffer.from(Request.encode(v).finish()),
        requestDeserialize: (b: Buffer) => Request.toObject(Request.decode(b), { longs: String, bytes: Buffer }),
        responseSerialize: (v: object) => Buffer.from(Response.encode(v).finish()),
        responseDeserialize: (b: Buffer) => Response.decode(b),
      },
    },
    {
      Export: (call: grpc.ServerUnaryCall<Record<string, unknown>, object>, callback: grpc.sendUnaryData<object>) => {
        spans.push(...flatten(call.request));
        metadata.push(call.metadata);
        callback(null, {});
      },
    },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    endpoint: `http://127.0.0.1:${port}`,
    spans,
    metadata,
    close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
  };
}
