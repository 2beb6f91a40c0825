// Length rules measured as AWS measures them: in UTF-16 code units (an emoji counts two). class-validator's
// @Length counts code points and folds variation selectors, which lets longer values through than Cognito
// or our own bounds accept.
import { ValidateBy, type ValidationOptions } from 'class-validator';

export function LengthInUnits(min: number, max: number, options: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'lengthInUtf16Units',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && value.length >= min && value.length <= max,
      },
    },
    options,
  );
}
