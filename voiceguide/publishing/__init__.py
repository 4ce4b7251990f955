"""A programme (or a routine) as a private podcast: the feed, its episodes' companions, the render cache, the server."""
