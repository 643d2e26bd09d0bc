// PostAuthentication: records who signed in, to which pool and client, and when.
import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { PostAuthenticationTriggerEvent } from "aws-lambda";

const client = new DynamoDBClient({});

export async function handler(
  event: PostAuthenticationTriggerEvent,
): Promise<PostAuthenticationTriggerEvent> {
  const entry = {
    UserName: event.userName,
    UserEmail: event.request.userAttributes.email ?? "",
    LastLogin: {
      UserPoolId: event.userPoolId,
      ClientId: event.callerContext.clientId,
      Time: new Date().toISOString(),
    },
  };
  console.log(JSON.stringify(entry));
  await client.send(
    new PutItemCommand({
      TableName: process.env.TABLE_NAME,
      Item: {
        UserEmail: { S: entry.UserEmail },
        UserName: { S: entry.UserName },
        LastLogin: {
          M: {
            UserPoolId: { S: entry.LastLogin.UserPoolId },
            ClientId: { S: entry.LastLogin.ClientId },
            Time: { S: entry.LastLogin.Time },
          },
        },
      },
    }),
  );
  return event;
}
