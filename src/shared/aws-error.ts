// The error every service of the edge throws: AWS's exception name (`__type`), its message and HTTP status.

/** An AWS exception: `__type` and `message` on the wire, HTTP 400 unless stated. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** A maker of one exception type, e.g. `awsError("NotAuthorizedException")("Incorrect username or password.")`. */
export const awsError =
  (type: string, status = 400) =>
  (message: string) =>
    new AwsError(type, message, status);

// Shared by Cognito and CloudWatch Logs, worded by each caller.
export const invalidParameter = awsError("InvalidParameterException");
export const resourceNotFound = awsError("ResourceNotFoundException");
