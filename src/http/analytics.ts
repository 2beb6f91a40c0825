// Reads the Amazon Pinpoint endpoint id that a frontend sends in `x-analytics-endpoint-id`. An invalid value
// is dropped, not refused: analytics must never cost a user their confirmation code.
export const ANALYTICS_HEADER = 'x-analytics-endpoint-id';

const ENDPOINT_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function readAnalyticsEndpointId(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const value = header.trim();
  return ENDPOINT_ID.test(value) ? value : undefined;
}
