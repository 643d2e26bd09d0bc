// UserMigration: creates a known user in the pool on their first sign-in, with a reset password to be set.
import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { UserMigrationTriggerEvent } from "aws-lambda";

const client = new DynamoDBClient({});

export async function handler(event: UserMigrationTriggerEvent): Promise<UserMigrationTriggerEvent> {
  if (event.triggerSource !== "UserMigration_Authentication") return event;
  const { Items } = await client.send(
    new ScanCommand({
      TableName: process.env.TABLE_NAME,
      FilterExpression: "UserName = :name",
      ExpressionAttributeValues: { ":name": { S: event.userName } },
    }),
  );
  const email = Items?.[0]?.UserEmail?.S;
  if (!email) {
    console.log(`${event.userName} is not a known user; not migrating.`);
    return event;
  }
  console.log(`Migrating ${event.userName} (${email}).`);
  event.response.userAttributes = { email, email_verified: "true" };
  event.response.finalUserStatus = "RESET_REQUIRED";
  event.response.messageAction = "SUPPRESS";
  return event;
}
