/**
 * Collects the `#name` and `:value` placeholders of one DynamoDB request. Every attribute name goes through a
 * placeholder (DynamoDB reserves hundreds of words), and only the placeholders actually used are sent:
 * DynamoDB rejects a request that declares one its expressions do not use.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export class DynamoExpression {
  private readonly names: Record<string, string> = {};
  private readonly values: Record<string, AttributeValue> = {};

  /** The placeholder for an attribute name (letters and digits only). */
  public name(attribute: string): string {
    const placeholder = `#${attribute}`;
    this.names[placeholder] = attribute;
    return placeholder;
  }

  /** The placeholder for a value; `key` must be unique within the request. */
  public value(key: string, value: AttributeValue): string {
    const placeholder = `:${key}`;
    this.values[placeholder] = value;
    return placeholder;
  }

  /** The request members that declare the placeholders used. */
  public attributes(): {
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Record<string, AttributeValue>;
  } {
    return {
      ...(Object.keys(this.names).length > 0 && { ExpressionAttributeNames: { ...this.names } }),
      ...(Object.keys(this.values).length > 0 && { ExpressionAttributeValues: { ...this.values } }),
    };
  }
}
