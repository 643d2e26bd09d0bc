// The contract between the edge and a service that speaks the AWS JSON protocol (dispatched by X-Amz-Target).
import type { AwsError } from "./aws-error.js";

/** What a service may know of the HTTP request behind a call. */
export interface RequestInfo {
  /** A UUID per request, also sent back as `x-amzn-RequestId`. */
  requestId: string;
  /** `User-Agent` (or `X-Amz-User-Agent`) as the client sent it; empty when absent. */
  userAgent: string;
}

/**
 * One AWS JSON 1.0/1.1 service on the edge's port. The edge reads and limits the body, parses it, and
 * writes the answer or the AwsError thrown; anything else thrown becomes the service's internal error.
 */
export interface JsonService {
  /** `AWSCognitoIdentityProviderService.`: the X-Amz-Target prefix the service answers. */
  targetPrefix: string;
  /** `application/x-amz-json-1.1` or `-1.0`. */
  contentType: string;
  /** Refuses an operation before its body is read (unknown or unsupported operations); undefined: served. */
  refuse?(operation: string): AwsError | undefined;
  call(operation: string, input: Record<string, unknown>, request: RequestInfo): Promise<unknown>;
  /** The 500 answer for an error that is not an AwsError (details are logged, never sent). */
  internalError(): AwsError;
}
