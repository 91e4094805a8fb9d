#include "core/raw_bytes.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace ledgerflow {
namespace {

TEST(RawBytes, OwnsACopyUnlessItBorrows) {
  std::string source = "{\"type\":\"sale\"}";
  RawBytes own(source);
  source[0] = 'X';  // the copy does not see it
  EXPECT_FALSE(own.borrowed());
  EXPECT_EQ(own, "{\"type\":\"sale\"}");
  EXPECT_EQ(own.size(), 15u);

  auto file = std::make_shared<const std::string>("a,b\n1,2\n3,4\n");
  RawBytes line;
  line.borrow(std::string_view(*file).substr(4, 3), file);
  EXPECT_TRUE(line.borrowed());
  EXPECT_EQ(line, "1,2");
  EXPECT_EQ(line.data(), file->data() + 4);  // in place, not copied
  EXPECT_EQ(file.use_count(), 2);

  line = std::string_view("5,6");  // assigning copies and lets the file go
  EXPECT_FALSE(line.borrowed());
  EXPECT_EQ(line, "5,6");
  EXPECT_EQ(file.use_count(), 1);
}

TEST(RawBytes, CopiesOfABorrowedValueKeepTheBufferAlive) {
  auto file = std::make_shared<const std::string>(std::string(100, 'r'));
  const std::weak_ptr<const std::string> alive = file;
  RawBytes copy;
  {
    RawBytes line;
    line.borrow(std::string_view(*file).substr(10, 20), file);
    copy = line;
    RawBytes moved = std::move(line);
    EXPECT_EQ(moved, std::string(20, 'r'));
  }
  file.reset();
  ASSERT_FALSE(alive.expired());
  EXPECT_EQ(copy, std::string(20, 'r'));
  EXPECT_EQ(copy, RawBytes(std::string(20, 'r')));
  copy.assign("");
  EXPECT_TRUE(copy.empty());
  EXPECT_TRUE(alive.expired());
}

// A borrowed value that is its buffer's last owner, given its own bytes: they are copied while
// the buffer still lives (the ASan build of the unit tests reads freed memory otherwise).
TEST(RawBytes, AssigningItsOwnBorrowedBytesCopiesThemBeforeLettingGo) {
  auto file = std::make_shared<const std::string>(std::string(64, 'x') + "23456");
  const std::weak_ptr<const std::string> alive = file;
  RawBytes line;
  line.borrow(std::string_view(*file).substr(62, 5), file);
  file.reset();
  line.assign(line.view());
  EXPECT_TRUE(alive.expired());
  EXPECT_FALSE(line.borrowed());
  EXPECT_EQ(line, "xx234");
}

}  // namespace
}  // namespace ledgerflow
