package org.lockspec.conversion;

import org.eclipse.xtext.common.services.DefaultTerminalConverters;
import org.eclipse.xtext.conversion.IValueConverter;
import org.eclipse.xtext.conversion.ValueConverter;
import org.eclipse.xtext.conversion.ValueConverterException;
import org.eclipse.xtext.nodemodel.INode;

/** Decimal and hexadecimal numbers ({@code 4}, {@code 0x4}) as longs. */
public class LockspecValueConverters extends DefaultTerminalConverters {

	private final IValueConverter<Long> number = new IValueConverter<>() {
		@Override
		public Long toValue(String string, INode node) {
			if (string == null || string.isEmpty()) {
				throw new ValueConverterException("expected a number here", node, null);
			}
			try {
				if (string.startsWith("0x") || string.startsWith("0X")) {
					return Long.parseUnsignedLong(string.substring(2), 16);
				}
				return Long.parseLong(string);
			} catch (NumberFormatException e) {
				// no cause: Xtext would show the cause's message instead of this one
				throw new ValueConverterException("'" + string + "' is not a number that fits in 64 bits", node, null);
			}
		}

		@Override
		public String toString(Long value) {
			return value == null ? "" : Long.toString(value);
		}
	};

	@ValueConverter(rule = "Number")
	public IValueConverter<Long> Number() {
		return number;
	}

	@ValueConverter(rule = "HEX")
	public IValueConverter<Long> HEX() {
		return number;
	}
}
