/**
 * The resource of every span: the SDK's defaults (`service.name` =
 * `unknown_service:<process>`, telemetry.sdk.*), then OTEL_RESOURCE_ATTRIBUTES
 * and OTEL_SERVICE_NAME (through the SDK's env detector), then the options.
 */
import { diag, type Attributes } from '@opentelemetry/api';
import { defaultResource, envDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

/** Whether OTEL_RESOURCE_ATTRIBUTES has content that the env detector discarded. */
function attributesDiscarded(detected: Attributes): boolean {
  const raw = process.env.OTEL_RESOURCE_ATTRIBUTES?.trim() ?? '';
  const fromAttributes = Object.keys(detected).filter((k) => k !== ATTR_SERVICE_NAME || /(^|,)\s*service\.name\s*=/.test(raw));
  return raw.replace(/,/g, '').trim() !== '' && fromAttributes.length === 0;
}

/**
 * Builds the resource. A malformed OTEL_RESOURCE_ATTRIBUTES (the detector drops
 * it whole, as the specification says, logging only at debug level) is reported
 * once here as a warning.
 */
export function createResource(serviceName?: string, attributes?: Attributes): Resource {
  const detected = envDetector.detect().attributes ?? {};
  if (attributesDiscarded(detected as Attributes)) {
    diag.warn(
      "otel-async-context: OTEL_RESOURCE_ATTRIBUTES is not a list of key=value pairs (',' and '=' inside keys and values must be percent-encoded); ignored",
    );
  }
  let resource = defaultResource().merge(resourceFromAttributes(detected));
  if (attributes !== undefined) resource = resource.merge(resourceFromAttributes(attributes));
  if (serviceName !== undefined) resource = resource.merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }));
  return resource;
}
