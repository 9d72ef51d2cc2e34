"""One module per registered format, named like the format with `-` written `_`."""
