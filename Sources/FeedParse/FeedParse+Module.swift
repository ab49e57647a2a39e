// FeedParse module (in progress)
