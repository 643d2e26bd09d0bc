// The parts of the CloudFormation custom-resource event and Lambda context the handler reads.

export interface CustomResourceEvent {
  /** "Create" | "Update" | "Delete"; typed loosely because anything else must be reported, not crash. */
  RequestType: string;
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  ResourceType?: string;
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
  OldResourceProperties?: Record<string, unknown>;
}

export interface LambdaContext {
  invokedFunctionArn: string;
  logStreamName: string;
  getRemainingTimeInMillis?: () => number;
}
