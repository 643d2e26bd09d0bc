// The standard attribute schema every pool has, and the rules for reading and writing attributes.

export interface SchemaAttribute {
  Name: string;
  AttributeDataType: "String" | "Number" | "DateTime" | "Boolean";
  DeveloperOnlyAttribute: boolean;
  Mutable: boolean;
  Required: boolean;
  StringAttributeConstraints?: { MinLength?: string; MaxLength?: string };
  NumberAttributeConstraints?: { MinValue?: string; MaxValue?: string };
}

const string = (Name: string, extra: Partial<SchemaAttribute> = {}): SchemaAttribute => ({
  Name,
  AttributeDataType: "String",
  DeveloperOnlyAttribute: false,
  Mutable: true,
  Required: false,
  StringAttributeConstraints: { MinLength: "0", MaxLength: "2048" },
  ...extra,
});

/** In DescribeUserPool order; `phone_number_verified` is really listed truncated to 20 characters. */
export const STANDARD_ATTRIBUTES: readonly SchemaAttribute[] = [
  string("sub", {
    Mutable: false,
    Required: true,
    StringAttributeConstraints: { MinLength: "1", MaxLength: "2048" },
  }),
  string("name"),
  string("given_name"),
  string("family_name"),
  string("middle_name"),
  string("nickname"),
  string("preferred_username"),
  string("profile"),
  string("picture"),
  string("website"),
  string("email"),
  {
    Name: "email_verified",
    AttributeDataType: "Boolean",
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
  },
  string("gender"),
  string("birthdate", { StringAttributeConstraints: { MinLength: "10", MaxLength: "10" } }),
  string("zoneinfo"),
  string("locale"),
  string("phone_number"),
  {
    Name: "phone_number_verifie",
    AttributeDataType: "Boolean",
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
  },
  string("address"),
  {
    Name: "updated_at",
    AttributeDataType: "Number",
    DeveloperOnlyAttribute: false,
    Mutable: true,
    Required: false,
    NumberAttributeConstraints: { MinValue: "0" },
  },
];

/** The real attribute name behind a schema entry (the truncated `phone_number_verifie`). */
export function attributeNameOf(entry: { Name: string }): string {
  return entry.Name === "phone_number_verifie" ? "phone_number_verified" : entry.Name;
}

export const VERIFIED_FLAGS: Readonly<Record<string, string>> = {
  email: "email_verified",
  phone_number: "phone_number_verified",
};

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const PHONE_PATTERN = /^\+[0-9]{4,15}$/;
