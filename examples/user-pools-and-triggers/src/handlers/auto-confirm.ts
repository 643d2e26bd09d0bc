// PreSignUp: auto-confirms and auto-verifies a user whose email and user name are in the known-users table.
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { PreSignUpTriggerEvent } from "aws-lambda";

const client = new DynamoDBClient({});

export async function handler(event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> {
  if (event.triggerSource !== "PreSignUp_SignUp") return event;
  const email = event.request.userAttributes.email;
  if (!email) return event;
  const { Item } = await client.send(
    new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { UserEmail: { S: email } } }),
  );
  if (Item?.UserName?.S === event.userName) {
    console.log(`Found ${email} in the known-users table: confirming ${event.userName}.`);
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  } else {
    console.log(`${email} is not a known user; leaving the sign-up unconfirmed.`);
  }
  return event;
}
