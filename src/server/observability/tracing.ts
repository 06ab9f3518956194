/**
 * OpenTelemetry traces (@fastify/otel), off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) or OTEL_ENABLED=1 is set; OTEL_SDK_DISABLED=true turns them
 * off whatever else is set. Spans go over OTLP/HTTP with JSON bodies to a collector (an
 * OpenTelemetry Collector, Jaeger, Tempo: all accept it on port 4318).
 *
 * One span per request, named by method and route pattern, with a child span for the handler. No
 * health data: no bodies or headers are recorded, `url.path` is the path without its query string,
 * and the exporter blanks quoted text in error descriptions and exception events as the log does
 * (logging.ts), since that is where an error would quote a request's input.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { Attributes } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import type { FastifyInstance } from 'fastify';
import { pathOf, scrubMessage } from './logging.js';

export interface TracingConfig {
  /** The OTLP/HTTP traces URL; undefined leaves it to the exporter's own reading of OTEL_* variables. */
  url: string | undefined;
  serviceName: string;
}

function isTrue(value: string | undefined): boolean {
  return ['1', 'true', 'on'].includes(value?.trim().toLowerCase() ?? '');
}

export function tracingConfigFrom(env: NodeJS.ProcessEnv): TracingConfig | null {
  if (isTrue(env.OTEL_SDK_DISABLED)) return null;
  const tracesUrl = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const baseUrl = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!tracesUrl && !baseUrl && !isTrue(env.OTEL_ENABLED)) return null;
  const url = tracesUrl || (baseUrl ? `${baseUrl.replace(/\/$/, '')}/v1/traces` : undefined);
  if (env.OTEL_EXPORTER_OTLP_PROTOCOL && env.OTEL_EXPORTER_OTLP_PROTOCOL.trim() !== 'http/json') {
    // The standard default is http/protobuf; this exporter speaks http/json, which every OTLP
    // receiver on port 4318 accepts too. Refuse rather than silently send something else.
    throw new Error(
      `OTEL_EXPORTER_OTLP_PROTOCOL=${env.OTEL_EXPORTER_OTLP_PROTOCOL} is not supported; GP-DEP sends http/json`
    );
  }
  return { url, serviceName: env.OTEL_SERVICE_NAME?.trim() || 'gp-dep' };
}

const URL_ATTRIBUTES = ['url.path', 'url.full', 'http.url', 'http.target'];

function scrubAttributes(attributes: Attributes): Attributes {
  const clean: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') clean[key] = value;
    else if (URL_ATTRIBUTES.includes(key)) clean[key] = pathOf(value);
    else if (key === 'url.query') continue;
    else if (key.startsWith('exception.')) clean[key] = scrubMessage(value);
    else clean[key] = value;
  }
  return clean;
}

/** The span as recorded, with the query strings gone and quoted text in errors blanked. */
export function scrubSpan(span: ReadableSpan): ReadableSpan {
  const status = span.status.message
    ? { ...span.status, message: scrubMessage(span.status.message) }
    : span.status;
  // The prototype keeps everything not overridden (spanContext(), resource, times, counts).
  return Object.create(span, {
    status: { value: status },
    attributes: { value: scrubAttributes(span.attributes) },
    events: {
      value: span.events.map((event) =>
        event.attributes ? { ...event, attributes: scrubAttributes(event.attributes) } : event
      ),
    },
  }) as ReadableSpan;
}

/** Passes spans on to the real exporter, scrubbed: nothing leaves the server unscrubbed. */
export class ScrubbingSpanExporter implements SpanExporter {
  constructor(private readonly inner: SpanExporter) {}
  export(spans: ReadableSpan[], resultCallback: Parameters<SpanExporter['export']>[1]): void {
    this.inner.export(spans.map(scrubSpan), resultCallback);
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}

export class Tracing {
  private readonly provider: NodeTracerProvider;
  private readonly instrumentation: FastifyOtelInstrumentation;

  constructor(config: TracingConfig) {
    const exporter = new OTLPTraceExporter(config.url ? { url: config.url } : {});
    this.provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ 'service.name': config.serviceName }),
      spanProcessors: [new BatchSpanProcessor(new ScrubbingSpanExporter(exporter))],
    });
    // The async-local context and W3C trace-context propagation: a caller's traceparent header
    // makes our request span its child.
    this.provider.register();
    this.instrumentation = new FastifyOtelInstrumentation({
      // Request and handler spans only: a span per hook (the access check, CSRF, headers) would
      // multiply the spans per request by ten for little insight.
      instrumentHooks: false,
      // The balancer's health checks every few seconds would drown the traces.
      ignorePaths: (route) => route.url.startsWith('/api/health'),
      requestHook: (span, request) => {
        span.setAttribute('url.path', pathOf(request.url));
        span.updateName(`${request.method} ${request.routeOptions.url ?? 'unmatched'}`);
      },
    });
    this.instrumentation.setTracerProvider(this.provider);
  }

  /** Registers the request spans; must come before any route is added. */
  async instrument(app: FastifyInstance): Promise<void> {
    await app.register(this.instrumentation.plugin());
  }

  /** Sends what is buffered (the batch processor sends every 5 s otherwise). */
  flush(): Promise<void> {
    return this.provider.forceFlush();
  }

  shutdown(): Promise<void> {
    this.instrumentation.disable();
    return this.provider.shutdown();
  }
}
