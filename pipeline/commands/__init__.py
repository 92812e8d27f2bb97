"""Commands that read a series without rendering it whole: the check, previews and stills, watch."""
