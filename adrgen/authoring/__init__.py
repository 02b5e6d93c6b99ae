"""Making a decision record: the interview, planning the record, rendering it."""
