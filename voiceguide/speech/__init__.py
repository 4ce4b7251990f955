"""Speech: the espeak engine behind pyttsx3, its clip cache and its voices."""
